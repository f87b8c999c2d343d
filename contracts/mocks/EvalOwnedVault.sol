// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @dev Evaluation fixture for the analyst: a vault whose one owner may move everything it holds. It
 * stands for a protocol contract the DAO owns (a fee vault, a pool) and for a "non-custodial" vault
 * whose key is in fact someone else's. Not for deployment.
 */
contract EvalOwnedVault is Ownable {
    using SafeERC20 for IERC20;

    error EvalVaultTransferFailed();

    constructor(address owner_) Ownable(owner_) {}

    receive() external payable {}

    /// @notice Sends `amount` of `token` to `to`; only the owner may.
    function withdraw(address token, address to, uint256 amount) external onlyOwner {
        IERC20(token).safeTransfer(to, amount);
    }

    /// @notice Sends `amount` wei to `to`; only the owner may.
    function withdrawEth(address payable to, uint256 amount) external onlyOwner {
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert EvalVaultTransferFailed();
    }
}
