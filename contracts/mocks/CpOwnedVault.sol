// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title CpOwnedVault
 * @notice Test fixture for the analyst's counterparty facts: a "vault" that receives ETH and that its
 * owner alone can empty (the shape of a custodial vault described as non-custodial). Not for deployment.
 */
contract CpOwnedVault is Ownable {
    /// @param owner_ The one account that can withdraw.
    constructor(address owner_) Ownable(owner_) {}

    receive() external payable {}

    /// @notice Sends the whole balance to `to`; only the owner may.
    function withdraw(address payable to) external onlyOwner {
        (bool ok, ) = to.call{value: address(this).balance}("");
        require(ok, "withdraw failed");
    }
}
